def headline_summary(user):
    raise NotImplementedError
