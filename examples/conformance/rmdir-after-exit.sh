# rmdir: succeeds once its only task exited
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/foo
fork 1 --pid 2
echo 2 > /H1/foo/tasks
rmdir /H1/foo
exit 2
rmdir /H1/foo
