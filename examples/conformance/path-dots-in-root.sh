# dots: a last . or .. in / (or in a directory above a mount point) is answered for that component, not as a missing directory; a .. above / is not run on the kernel
mount -t cgroup -o none,name=h1 none /H1
mount -t cgroup -o none,name=h2 none /m/H2
mkdir /.
mkdir /..
rmdir /.
rmdir /..
mkdir /m/.
rmdir /m/..
mkdir /../..
rmdir /../../x
echo 1 > /.
mkdir .
rmdir ./..
cd /H1
cd ..
mkdir .
ls /H1
mkdir /H3/.
mkdir /H3/..
