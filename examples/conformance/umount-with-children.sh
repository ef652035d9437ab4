# umount: with children the hierarchy survives; mounting it by name brings it back
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/k/k2
echo 1 > /H1/k/k2/tasks
umount /H1
ls /H1
mount -t cgroup -o none,name=h1 none /H1
cat /H1/k/k2/tasks
