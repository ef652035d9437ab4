# rmdir: a task only in a grandchild keeps every ancestor busy
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/g1/g2/g3
echo 1 > /H1/g1/g2/g3/tasks
rmdir /H1/g1
rmdir /H1/g1/g2
rmdir /H1/g1/g2/g3
