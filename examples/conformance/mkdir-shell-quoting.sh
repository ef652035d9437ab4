# mkdir: backslashes, trailing spaces, a name of one space, shell characters
mount -t cgroup -o none,name=h1 none /H1
mkdir /H1/a\ b
mkdir '/H1/t '
mkdir '/H1/ '
mkdir '/H1/x\y'
mkdir '/H1/$x' '/H1/*' '/H1/#h'
mkdir /H1/q"u"o'te'
ls /H1
rmdir '/H1/ '
rmdir /H1/t\ 
ls /H1
