import ArgumentParser; import ThawServer; print("x")
