# mkdir: odd names are fine (only a newline is refused)
mount -t cgroup -o none,name=h1 none /H1
mkdir '/H1/with space'
mkdir /H1/.hidden
mkdir /H1/a:b
mkdir /H1/-dash
mkdir /H1/ünïcødé
mkdir "/H1/tab	in"
