# echo: an empty write opens the file as a write does (a directory EISDIR, a missing group ENOENT, a
# name that is no control file EACCES: cgroupfs creates none); a write through a file is ENOTDIR
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo -n "" > /H1/a
echo -n "" > /H1/nosuch/tasks
echo -n "" > /H1/a/tasks/
echo -n "" > /H1/a/nosuchfile
echo -n "" > /H1/a/tasks
echo -n "" > /H1/a/notify_on_release
echo 1 > /H1/tasks/x
echo 1 > /H1/tasks/.
