# echo and cat: a name ending in / is EISDIR for a shell's > (it opens to create), ENOTDIR for cat if a file
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a/tasks/
echo 1 > /H1/a/cgroup.procs//
echo 1 > /H1/a/notify_on_release/
echo 1 > /H1/a/
cat /H1/a/tasks/
cat /H1/a/tasks
