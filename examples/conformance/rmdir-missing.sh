# rmdir: a missing group is ENOENT; a control file is ENOTDIR
mount -t cgroup -o none,name=h1 none /H1
rmdir /H1/nope
rmdir /H1/nope/x
rmdir /H1/tasks
