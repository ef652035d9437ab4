# cd: the working directory holds its mount busy (umount EBUSY, also once it is removed); another mount of the hierarchy is free
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h1 none /H2
mkdir /H1/a
cd /H1/a
umount /H1
umount /H2
mkdir /H1/b
cd ../b
rmdir /H1/b
umount /H1
cd ..
umount /H1
ls
cd /
umount /H1
mount -t cgroup -o none,name=h1 none /H1
cd /H1/a/tasks
cd /H1/nosuch
cd /H1/a
mkdir c
cd c
echo 1 > tasks
cat ../c/tasks
echo 1 > /H1/tasks
cd /
rmdir /H1/a/c /H1/a
cd /H1/a/nosuch
umount /H1
cd /H1/x
cd /H9/x
mkdir /H1/b
cd /H1
mkdir b
