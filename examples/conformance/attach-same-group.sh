# attach: to the group it is already in succeeds
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a/tasks
echo 1 > /H1/a/tasks
echo 1 > /H1/tasks
echo 1 > /H1/tasks
cat /H1/a/tasks
