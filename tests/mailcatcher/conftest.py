from tests.fixtures_mail import mailcatcher as mailcatcher
