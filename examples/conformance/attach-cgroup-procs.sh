# attach through cgroup.procs
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
echo 1 > /H1/a/cgroup.procs
cat /H1/a/cgroup.procs
echo abc > /H1/a/cgroup.procs
