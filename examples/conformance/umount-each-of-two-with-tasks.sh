# umount each of two mount points of a hierarchy that has children and a task
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h1 none /H1b
mkdir -p /H1/a/b
echo 1 > /H1/a/b/tasks
umount /H1
cat /H1b/a/b/tasks
mkdir /H1b/c
umount /H1b
umount /H1b
mount -t cgroup -o name=h1 none /H2
cat /H2/a/b/tasks
ls /H2
rmdir /H2/a/b
echo 1 > /H2/tasks
rmdir /H2/a/b
rmdir /H2/a
