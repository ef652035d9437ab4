# mkdir -p: a control file on the way is not a directory (ENOTDIR, as coreutils says); at the end it exists
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir -p /H1/tasks
mkdir -p /H1/tasks/f
mkdir -p /H1/a/notify_on_release/x/y
mkdir -p /H1/a/cgroup.procs
ls /H1/a
