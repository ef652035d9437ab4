# rmdir: a group with a task in it is busy; fork inheritance; exit
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/foo
echo 1 > /H1/foo/tasks
fork 1 --pid 5
cat /H1/foo/tasks
rmdir /H1/foo
exit 5
echo 1 > /H1/tasks
cat /H1/tasks
rmdir /H1/foo
echo 0 > /H1/tasks
charge 1 A file:1
