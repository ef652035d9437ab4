# attach: a pid that exited is ESRCH
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
fork 1 --pid 7
exit 7
echo 7 > /H1/a/tasks
