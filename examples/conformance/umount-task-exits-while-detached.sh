# umount: a task that exits while its hierarchy is detached is gone from it
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/k
fork 1 --pid 4
echo 4 > /H1/k/tasks
umount /H1
exit 4
mount -t cgroup -o name=h1 none /H2
cat /H2/k/tasks
