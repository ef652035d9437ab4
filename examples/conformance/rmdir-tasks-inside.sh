# rmdir: a group with a task is EBUSY
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/foo
echo 1 > /H1/foo/tasks
rmdir /H1/foo
cat /H1/foo/tasks
