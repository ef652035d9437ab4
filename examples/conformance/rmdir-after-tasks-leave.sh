# rmdir: succeeds once the task moved out
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/foo
echo 1 > /H1/foo/tasks
rmdir /H1/foo
echo 1 > /H1/tasks
rmdir /H1/foo
ls /H1
