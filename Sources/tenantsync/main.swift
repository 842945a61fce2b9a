print("tenantsync")
