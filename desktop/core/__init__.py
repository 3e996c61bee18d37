"""The Qt-free core: schema, database, the one write path, the status engine, search and interchange."""
