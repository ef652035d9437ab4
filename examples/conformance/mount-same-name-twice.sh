# mount: the same name and options at a second mount point is the same hierarchy
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h1 none /H1b
mkdir /H1/a
ls /H1b
rmdir /H1b/a
ls /H1
