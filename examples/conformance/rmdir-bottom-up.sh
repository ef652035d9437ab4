# rmdir: a chain removed bottom-up; top-down refused
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/a/b/c/d
rmdir /H1/a/b
rmdir /H1/a/b/c/d
rmdir /H1/a/b/c
rmdir /H1/a/b
rmdir /H1/a
ls /H1
