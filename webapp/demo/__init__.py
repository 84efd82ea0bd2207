"""Demo files generated deterministically in the official formats, and the seeding of a new store.

Outside the runtime data package: the site reads what was published, whatever generated it. Each
story's generator carries its name (`housing`, `footfall`, `commerce`, `reports`); `seed` loads the
shipped files of `data/sources` (and the generated ones) through the editor's import path.
"""
