// DirectoryMapping
