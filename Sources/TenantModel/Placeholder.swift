// TenantModel
