# ls hides the names that begin with '.' (ls -a shows them, '.' and '..' too); ls FILE prints the name as given, FILE/ is ENOTDIR
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/.hidden /H1/a /H1/..b
ls /H1
ls -a /H1
ls /H1/.hidden
ls /H1/tasks
ls /H1//a/cgroup.procs
ls -a /H1/a/notify_on_release
ls /H1/tasks/
ls /H1/a/tasks/.
cd /H1/a
ls tasks
ls ./notify_on_release
ls -a
mkdir /H1/a/gone
cd /H1/a/gone
rmdir /H1/a/gone
ls -a
ls
