# cat: a file named as a directory is not a directory; a directory is not a file
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
cat /H1/a/tasks/
cat /H1/tasks/.
ls /H1/a/tasks/
cat /H1/a
cat /H1/a/
cat /H1/a/tasks
