# cat: each control file of the root and of a child
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
cat /H1/release_agent
cat /H1/cgroup.sane_behavior
cat /H1/cgroup.clone_children
cat /H1/notify_on_release
cat /H1/a/cgroup.clone_children
cat /H1/a/notify_on_release
cat /H1/a/release_agent
cat /H1/a/cgroup.sane_behavior
cat /H1/a/tasks
cat /H1/a/cgroup.procs
ls /H1/a
ls /H1
cat /H1/nosuch
cat /H1/a/nosuch
