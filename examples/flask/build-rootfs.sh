#!/bin/sh
# Assembles the final image's whole filesystem under $1 (an empty folder),
# inside the Dockerfile's build stage after apt-get has installed Python,
# Flask and gunicorn:
#
#   /usr/bin/python3.11       Debian's interpreter (libpython is linked in)
#   /usr/lib/python3.11       the standard library without the parts below
#   /usr/lib/python3/dist-packages
#                             flask and its dependencies, gunicorn,
#                             and pkg_resources, which gunicorn 20.1 imports
#   /app                      the service
#   /lib, /lib64, /usr/lib/x86_64-linux-gnu
#                             the shared libraries these load, found with ldd
#
# Then it compiles every module to .pyc and imports the service with the
# new tree as root filesystem, so a module removed by mistake fails the
# build instead of the container.
set -eu

root=${1:?usage: build-rootfs.sh ROOT}
py=python3.11
stdlib=/usr/lib/$py
dist=/usr/lib/python3/dist-packages

mkdir -p "$root/usr/bin" "$root$stdlib" "$root$dist" "$root/app"

cp -a /usr/bin/$py "$root/usr/bin/"
ln -s $py "$root/usr/bin/python3"

# Standard library parts that the service never imports: tests, the IDE,
# Tk, packaging and build tools, documentation data, other servers and
# databases. Compiled files are dropped too and rebuilt below.
tar -C "$stdlib" -cf - \
  --exclude=__pycache__ \
  --exclude=./test --exclude=./idlelib --exclude=./tkinter \
  --exclude=./turtledemo --exclude=./turtle.py --exclude=./ensurepip \
  --exclude=./lib2to3 --exclude=./pydoc_data --exclude=./distutils \
  --exclude=./unittest --exclude=./venv --exclude=./sqlite3 --exclude=./dbm \
  --exclude=./curses --exclude=./xmlrpc --exclude=./wsgiref \
  --exclude=./asyncio --exclude=./multiprocessing --exclude=./ctypes \
  --exclude=./config-3.11-x86_64-linux-gnu --exclude=./site-packages \
  --exclude=./doctest.py --exclude=./pydoc.py --exclude=./pdb.py \
  --exclude=./lib-dynload --exclude=./sitecustomize.py \
  . | tar -C "$root$stdlib" -xf -

# Extension modules: keep those the service or its fallbacks load. Among
# them _ssl and _hashlib (gunicorn imports ssl), _decimal (Flask's JSON
# provider imports decimal), _uuid, _json, _queue and _contextvars.
mkdir "$root$stdlib/lib-dynload"
for name in _contextvars _decimal _hashlib _json _queue _ssl _typing _uuid \
  _zoneinfo mmap resource termios; do
  cp -a "$stdlib/lib-dynload/$name".cpython-311-x86_64-linux-gnu.so "$root$stdlib/lib-dynload/"
done

for name in flask werkzeug jinja2 markupsafe itsdangerous click gunicorn \
  pkg_resources; do
  cp -a "$dist/$name" "$root$dist/"
done
# Package metadata, which pkg_resources and importlib.metadata read.
cp -a "$dist"/Flask-*.egg-info "$dist"/Werkzeug-*.egg-info \
  "$dist"/Jinja2-*.egg-info "$dist"/MarkupSafe-*.egg-info \
  "$dist"/itsdangerous-*.egg-info "$dist"/click-*.egg-info \
  "$dist"/gunicorn-*.egg-info "$root$dist/"
find "$root$dist" -name __pycache__ -prune -exec rm -rf {} +

cp /src/app/*.py "$root/app/"

# Shared libraries of the interpreter and of every extension module kept,
# copied to the paths the dynamic loader looks in. libgcc_s is loaded with
# dlopen by glibc when a thread exits through pthread_exit, so ldd does
# not list it.
{
  ldd /usr/bin/$py
  find "$root$stdlib/lib-dynload" "$root$dist" -name '*.so' -exec ldd {} \;
  echo "libgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0)"
} | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/lib64\// { print $1 }' |
  sort -u | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

# Compile every module ahead of time. unchecked-hash .pyc files are used
# without comparing them to the source's mtime, which COPY may change, so
# Python never tries to rebuild them on the read-only root filesystem.
# -s/-p record the runtime paths in tracebacks.
$py -m compileall -q -j 0 --invalidation-mode unchecked-hash \
  -s "$root" -p / "$root$stdlib" "$root$dist" "$root/app"

# Start Python in the new tree and import everything the service needs:
# the app, the gthread worker, logging, the health check and JSON.
chroot "$root" /usr/bin/python3 -c '
import sys
sys.path.insert(0, "/app")
import gunicorn.app.wsgiapp, gunicorn.arbiter, gunicorn.glogging
import gunicorn.workers.gthread, gunicorn.http.wsgi, gunicorn.pidfile
import logging.config, json, signal, ssl, hashlib, email.utils, http.client
import healthcheck, jsonlog, rocket
client = rocket.create_app("Medium").test_client()
assert client.get("/").json == {"service": "rocket-flask", "rocket_size": "Medium"}
assert client.get("/health").json == {"status": "ok"}
assert client.post("/").status_code == 405
print("build-rootfs: imports and routes work with", sys.version.split()[0])
'
