# files: cgroup.clone_children and sane_behavior
mount -t cgroup -o none,name=h1 none /H1
echo 1 > /H1/cgroup.clone_children
cat /H1/cgroup.clone_children
echo 1 > /H1/cgroup.sane_behavior
ls /H1
