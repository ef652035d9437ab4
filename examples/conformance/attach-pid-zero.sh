# attach: pid 0 means the writer itself
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 0 > /H1/a/tasks
