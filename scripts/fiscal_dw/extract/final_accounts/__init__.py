"""部门决算 (final accounts): the nine standard tables 公开01–09 and the 情况说明 narrative."""
