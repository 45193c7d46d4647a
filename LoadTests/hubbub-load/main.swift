print("hubbub-load")
