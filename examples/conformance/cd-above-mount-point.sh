# cd: a directory above a mount point (/m of /m/H1) exists (mkdir EEXIST, rmdir ENOTEMPTY); relative paths from it reach the hierarchy below
mount -t cgroup -o none,name=h1 none /m/H1
mkdir /m
rmdir /m
cd /m
mkdir H1/a
ls H1
cd H1/a
cd ..
cd ..
echo 1 > H1/a/tasks
cat H1/a/tasks
umount H1
cd H1/a
umount /m/H1
cd /
echo 1 > /m/H1/tasks
rmdir /m/H1/a
