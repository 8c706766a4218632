def _stub(request, *a, **k): ...


my_nominations = nominate = apply = staff_nominate = invitation = detail = complete = withdraw = (
    decide
) = assign = review = my_reviews = queue = bulk_decide = export_csv = metrics = _stub
