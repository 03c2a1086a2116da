"""Writes the small numpy fixtures that tests/Properties/Io/NumpyFixtureTests.cs reads.

Run with a Python that has numpy (e.g. /usr/bin/python3 make_fixtures.py) from this directory.
The values are deliberately simple so the C# tests can restate them.
"""
import numpy as np

grid = np.arange(12).reshape(3, 4) * 0.5  # 0.0, 0.5, ..., 5.5

np.save("f8.npy", grid.astype("<f8"))
np.save("f4.npy", grid.astype("<f4"))
np.save("f8_big_endian.npy", grid.astype(">f8"))
np.save("i4.npy", np.arange(-3, 3, dtype="<i4"))
np.save("i8.npy", np.array([-(2**40), -1, 0, 1, 2**40], dtype="<i8"))
np.save("i4_big_endian.npy", np.arange(-3, 3, dtype=">i4"))
np.save("u1.npy", np.array([0, 1, 255], dtype="u1"))
np.save("u8.npy", np.array([0, 2**63 - 1], dtype="<u8"))
np.save("u8_overflow.npy", np.array([1, 2**63], dtype="<u8"))
np.save("bool.npy", np.array([True, False, True]))
np.save("fortran.npy", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
np.save("fortran_i4.npy", np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3)))
np.save("scalar_f8.npy", np.float64(2.5))
np.save("unicode_scalar.npy", np.array("héllo ✓"))
np.save("empty.npy", np.zeros((0, 3)))
np.save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)

# The repository's .gitignore excludes *.npz, so the archives get a .zip extension (an .npz is a zip anyway);
# np.savez would append ".npz" to a bare file name, hence the open file objects.
with open("savez.zip", "wb") as f:
    np.savez(f, grid=grid, ids=np.arange(5, dtype="<i4"), flag=np.bool_(True), gamma=np.float64(0.9))
with open("savez_compressed.zip", "wb") as f:
    np.savez_compressed(f, grid=grid, ids=np.arange(5, dtype="<i8"), name=np.array("mdp"))
