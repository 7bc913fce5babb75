print("trailhound")
