# echo: to / or a directory above a mount point is EISDIR, as to any directory (the shell's > opens it to write)
mount -t cgroup -o none,name=h1 none /m/H1
echo 1 > /m
echo 1 > /m/
echo -n > /m
echo 1 > /m/H1/..
echo 1 > /
cd /m
echo 1 > .
echo 1 > H1/..
cd H1
echo 1 > ..
echo 1 > ../.
cd ..
ls
cd /
