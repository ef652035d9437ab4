# cd: a last .. or . walked from a removed working directory is answered for that component (rmdir .. ENOTEMPTY, mkdir ../. EEXIST, > . EISDIR)
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a /H1/a/b
cd /H1/a/b
rmdir /H1/a/b
rmdir ..
rmdir ./..
mkdir ..
echo 1 > .
echo 1 > ./
echo 1 > ..
cat ..
ls /H1/a
rmdir /H1/a
mkdir ../.
rmdir ../.
rmdir ../..
mkdir ../..
echo 1 > ../.
ls ../.
ls ..
cd ..
ls
cd /
