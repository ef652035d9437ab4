# attach: anything but one pid is EINVAL
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo abc > /H1/a/tasks
echo -1 > /H1/a/tasks
echo 1 2 > /H1/a/tasks
echo > /H1/a/tasks
echo 4294967296 > /H1/a/tasks
echo 1x > /H1/a/tasks
