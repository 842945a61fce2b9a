// TenantStore
