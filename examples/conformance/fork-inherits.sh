# fork: the child starts in its parent's group
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a/tasks
fork 1 --pid 10
fork 10
cat /H1/a/tasks
