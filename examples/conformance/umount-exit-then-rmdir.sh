# umount: a task exits while its hierarchy is detached; mounted again, its groups can go, and the hierarchy with them
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/k/k2
fork 1 --pid 4
echo 4 > /H1/k/k2/tasks
umount /H1
exit 4
mount -t cgroup -o none,name=h1 none /H2
rmdir /H2/k
rmdir /H2/k/k2
rmdir /H2/k
ls /H2
umount /H2
mount -t cgroup -o name=h1 none /H1
