# mkdir: names of the root's files are free in a child, the child's files are not
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/a/cgroup.sane_behavior
mkdir /H1/a/cgroup.clone_children
mkdir /H1/a/notify_on_release
mkdir /H1/a/cgroup.procs
mkdir /H1/a/release_agent
ls /H1/a
cat /H1/a/release_agent
echo 1 > /H1/a/release_agent/tasks
cat /H1/a/release_agent/tasks
rmdir /H1/a/release_agent
rmdir /H1/a/notify_on_release
mkdir /H1/cgroup.sane_behavior
mkdir /H1/notify_on_release
mkdir /H1/cgroup.clone_children
