# mkdir -p: a component that fails (a control file on the way) leaves the groups made before it, as coreutils' mkdir -p (one mkdir(2) a component) does
mount -t cgroup -o none,name=h1 none /H1
mkdir -p /H1/x/tasks/y
ls /H1/x
mkdir -p /H1/p/q/notify_on_release/r /H1/s
ls /H1
ls /H1/p/q
mkdir -p /H1/p/q/z
ls /H1/p/q
