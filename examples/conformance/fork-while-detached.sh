# fork in a detached hierarchy: the child starts in its parent's group there too
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
fork 1 --pid 5
echo 5 > /H1/a/tasks
umount /H1
fork 5 --pid 6
mount -t cgroup -o none,name=h1 none /H1
cat /H1/a/tasks
cat /H1/tasks
