#!/bin/sh
# Installs what `make` built, or removes it again:
#
#   packaging/install.sh install|uninstall
#
# with, in the environment (`make install` and `make uninstall` set them):
#   FROM         the directory holding libsynap.so and libsynap.a
#   PREFIX       where the files will live, an absolute path (/usr/local)
#   DESTDIR      a staging directory to put $PREFIX under (may be empty)
#   VERSION      the package version, MAJOR.MINOR.PATCH
#   STATIC_LIBS  the system libraries libsynap.a needs (-lpthread ...)
#
# Files, under $DESTDIR$PREFIX:
#   lib/libsynap.so.$VERSION, with the links libsynap.so.$ABI (the soname,
#     which programs load: $MAJOR, or 0.$MINOR while the major is 0) and
#     libsynap.so (which linkers find)
#   lib/libsynap.a, include/synap.h, include/synap.hpp
#   lib/pkgconfig/synap.pc
#   lib/cmake/synap/synapConfig.cmake and synapConfigVersion.cmake
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mode=${1:-}
: "${PREFIX:?PREFIX must be set}" "${VERSION:?VERSION must be set}"
DESTDIR=${DESTDIR:-}

case $PREFIX in
/*) ;;
*) echo "install.sh: PREFIX must be an absolute path, not '$PREFIX'" >&2; exit 2 ;;
esac
case $VERSION in
*.*.*) ;;
*) echo "install.sh: VERSION must be MAJOR.MINOR.PATCH, not '$VERSION'" >&2; exit 2 ;;
esac
major=${VERSION%%.*}
minor=${VERSION#*.}
minor=${minor%%.*}
# The part of the version that names the ABI, as build.rs sets the soname.
if [ "$major" = 0 ]; then abi=0.$minor; else abi=$major; fi

dest=$DESTDIR$PREFIX
lib=$dest/lib
cmake=$lib/cmake/synap

# Escapes a value for the replacement side of a sed s|||.
esc() {
    printf '%s' "$1" | sed -e 's/[\\|&]/\\&/g'
}

# Fills a template from packaging/ into $2.
fill() {
    sed -e "s|@PREFIX@|$(esc "$PREFIX")|g" \
        -e "s|@VERSION@|$VERSION|g" -e "s|@MAJOR@|$major|g" -e "s|@MINOR@|$minor|g" -e "s|@ABI@|$abi|g" \
        -e "s|@STATIC_LIBS@|$(esc "$STATIC_LIBS")|g" \
        -e "s|@STATIC_LIBS_LIST@|$(esc "$(echo $STATIC_LIBS | tr ' ' ';')")|g" \
        "$here/$1" >"$2"
    chmod 644 "$2"
}

case $mode in
install)
    : "${FROM:?FROM must be set}" "${STATIC_LIBS:?STATIC_LIBS must be set}"
    for built in "$FROM/libsynap.so" "$FROM/libsynap.a"; do
        if [ ! -f "$built" ]; then
            echo "install.sh: $built is missing: run \`make\` first" >&2
            exit 1
        fi
    done
    mkdir -p "$lib/pkgconfig" "$cmake" "$dest/include"
    install -m 755 "$FROM/libsynap.so" "$lib/libsynap.so.$VERSION"
    ln -sf "libsynap.so.$VERSION" "$lib/libsynap.so.$abi"
    ln -sf "libsynap.so.$abi" "$lib/libsynap.so"
    install -m 644 "$FROM/libsynap.a" "$lib/libsynap.a"
    install -m 644 "$root/include/synap.h" "$root/include/synap.hpp" "$dest/include/"
    fill synap.pc.in "$lib/pkgconfig/synap.pc"
    fill synapConfig.cmake.in "$cmake/synapConfig.cmake"
    fill synapConfigVersion.cmake.in "$cmake/synapConfigVersion.cmake"
    echo "installed libsynap $VERSION under $dest"
    ;;
uninstall)
    rm -f "$lib/libsynap.so.$VERSION" "$lib/libsynap.so.$abi" "$lib/libsynap.so" "$lib/libsynap.a" \
        "$dest/include/synap.h" "$dest/include/synap.hpp" "$lib/pkgconfig/synap.pc" \
        "$cmake/synapConfig.cmake" "$cmake/synapConfigVersion.cmake"
    # Only the package's own directory; shared ones like lib/pkgconfig stay.
    rmdir "$cmake" 2>/dev/null || true
    echo "removed libsynap $VERSION from $dest"
    ;;
*)
    echo "usage: $0 install|uninstall (see the comment at its top)" >&2
    exit 2
    ;;
esac
