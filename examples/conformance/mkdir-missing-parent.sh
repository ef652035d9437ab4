# mkdir: a missing parent is ENOENT; -p makes it
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/nope/x
mkdir -p /H1/nope/x
ls /H1/nope
