# rmdir: a group with an empty child is EBUSY
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/p/c
rmdir /H1/p
rmdir /H1/p/c
rmdir /H1/p
