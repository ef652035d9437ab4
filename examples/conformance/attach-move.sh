# attach: a task moves between groups, in that hierarchy only
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a
mkdir /H1/b
echo 1 > /H1/a/tasks
echo 1 > /H1/b/tasks
cat /H1/a/tasks
cat /H1/b/tasks
