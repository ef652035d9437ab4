# mkdir: the name of a control file clashes (EEXIST); release_agent is only a root file
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/tasks
mkdir /H1/cgroup.procs
mkdir /H1/release_agent
mkdir /H1/a
mkdir /H1/a/release_agent
mkdir /H1/a/tasks
mkdir /H1/tasks/x
