# fork: the child inherits its parent's group in every hierarchy
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h2 none /H2
mount -t cgroup -o none,name=h3 none /H3
mkdir /H1/x /H2/y /H3/z
fork 1 --pid 2
echo 2 > /H1/x/tasks
echo 2 > /H3/z/tasks
fork 2 --pid 3
cat /H1/x/tasks
cat /H2/tasks
cat /H3/z/tasks
