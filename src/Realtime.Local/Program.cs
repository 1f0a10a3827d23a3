Console.WriteLine("Realtime.Local");
